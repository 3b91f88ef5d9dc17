import { TriadCallError } from '../transport/triad-client';

/** The part of an error the UI shows: the main process's message, never a stack. */
export interface ShownError {
  code: string;
  message: string;
}

/** Turns whatever a call rejected with into something to show; a TriadCallError keeps the main process's words. */
export function toShownError(error: unknown): ShownError {
  if (error instanceof TriadCallError) return { code: error.shape.code, message: error.shape.message };
  if (error instanceof Error) return { code: 'internal', message: error.message };
  return { code: 'internal', message: String(error) };
}
