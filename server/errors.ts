// Domain errors: what the query and service layers throw when a request cannot be done. They know
// nothing of HTTP; server/http/api.ts maps each kind to a status (400, 403, 404, 409).
export type DomainErrorKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict';

export class DomainError extends Error {
  constructor(public readonly kind: DomainErrorKind, message: string) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (message: string) => new DomainError('invalid', message);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const notFound = (message: string) => new DomainError('not_found', message);
export const conflict = (message: string) => new DomainError('conflict', message);
