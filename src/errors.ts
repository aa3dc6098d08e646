// One error type for everything the user can cause: a stable code plus a Chinese message.

export class HazardNoticeError extends Error {
  constructor(
    /** Stable, documented error code, e.g. E_INDUSTRY_UNKNOWN. */
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HazardNoticeError';
  }
}
