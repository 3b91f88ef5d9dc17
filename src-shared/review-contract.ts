/** The reviewers' channels (issue 8 §1): the Review screen's table, detail, labels and queues. */
export const REVIEW_CHANNELS = {} as const;
