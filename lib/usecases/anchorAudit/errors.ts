/** Anchoring could not be done as asked: safe to show (it names the digest or the setting at fault). */
export class AnchorError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AnchorError';
  }
}
