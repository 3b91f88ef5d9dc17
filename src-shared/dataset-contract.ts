/** The ML leads' dataset channels (issue 8 §3–5): build, preview and push SFT / DPO datasets. */
export const DATASET_CHANNELS = {} as const;

/** Events of dataset work (push progress). */
export const DATASET_EVENTS = {} as const;
