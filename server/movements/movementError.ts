// What the movement service refuses, as a domain fact; the HTTP edge maps it to a status code.
export const MOVEMENT_ERROR_KINDS = ['not_found', 'forbidden', 'conflict', 'invalid'] as const;
export type MovementErrorKind = (typeof MOVEMENT_ERROR_KINDS)[number];

export class MovementError extends Error {
  constructor(public readonly kind: MovementErrorKind, message: string) {
    super(message);
    this.name = 'MovementError';
  }

  /**
   * Recognises one by shape, not by class: Next bundles route handlers apart from the server, so
   * the class the service threw is not the class a route handler imported.
   */
  static is(err: unknown): err is MovementError {
    return err instanceof Error && err.name === 'MovementError'
      && (MOVEMENT_ERROR_KINDS as readonly unknown[]).includes((err as { kind?: unknown }).kind);
  }
}
