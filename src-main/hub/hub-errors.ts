import { TriadError } from '../../src-shared/errors';

/** What `@huggingface/hub` throws for a non-2xx answer (HubApiError), and what our own REST calls build alike. */
interface HubApiErrorLike {
  statusCode: number;
  message: string;
}

function isHubApiError(error: unknown): error is HubApiErrorLike {
  return error instanceof Error && typeof (error as Partial<HubApiErrorLike>).statusCode === 'number';
}

/**
 * A Hub failure as a TriadError whose message says what to do: `action` names what was being done
 * ("launching the training job"). The Hub's own message is kept (it names the repo or the quota), minus the
 * client's URL trailer; tokens never appear in it (the Hub does not echo them, and the caller's redactor runs
 * over every error that leaves the main process).
 */
export function hubFailure(action: string, error: unknown): TriadError {
  if (TriadError.isInstance(error)) return error;
  if (isHubApiError(error)) {
    const said = error.message.replace(/\. URL: .*$/s, '').trim();
    const status = error.statusCode;
    if (status === 401) {
      return new TriadError({ code: 'upstream_auth_failed', message: `${action}: the Hub refused the Hugging Face token (revoked or mistyped): set a valid one in Settings → API keys or HF_TOKEN (${said})` }, { cause: error });
    }
    if (status === 403) return new TriadError({ code: 'forbidden', message: `${action}: the token may not do this on the Hub: ${said}` }, { cause: error });
    if (status === 404) return new TriadError({ code: 'validation_failed', message: `${action}: not found on the Hub: ${said}` }, { cause: error });
    if (status === 429) return new TriadError({ code: 'upstream_rate_limited', message: `${action}: the Hub's rate limit is used up; try again later (${said})`, retryable: true }, { cause: error });
    if (status >= 500) return new TriadError({ code: 'upstream_unavailable', message: `${action}: the Hub answered ${status}; try again (${said})`, retryable: true }, { cause: error });
    return new TriadError({ code: 'upstream_rejected', message: `${action}: the Hub refused it (${status}): ${said}` }, { cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new TriadError({ code: 'upstream_unreachable', message: `${action}: the Hub could not be reached (${reason})`, retryable: true }, { cause: error });
}
