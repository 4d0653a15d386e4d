// Domain errors: what the query and service layers throw when a request cannot be done. They know
// nothing of HTTP; server/http/api.ts maps each kind to a status (400, 403, 404, 409).
export const DOMAIN_ERROR_KINDS = ['invalid', 'forbidden', 'not_found', 'conflict'] as const;
export type DomainErrorKind = (typeof DOMAIN_ERROR_KINDS)[number];

export class DomainError extends Error {
  constructor(
    public readonly kind: DomainErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /**
   * Recognises one by shape, not by class: Next bundles route handlers apart from the server, so
   * the class a server-side service (movements) threw is not the class a route handler imported.
   */
  static is(err: unknown): err is DomainError {
    return err instanceof Error && err.name === 'DomainError' && (DOMAIN_ERROR_KINDS as readonly unknown[]).includes((err as { kind?: unknown }).kind);
  }
}

export const invalid = (message: string) => new DomainError('invalid', message);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const notFound = (message: string) => new DomainError('not_found', message);
export const conflict = (message: string) => new DomainError('conflict', message);
