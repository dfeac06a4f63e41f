/** Credentials as values that do not print: shared by every settings module. */
/**
 * A credential. It prints as `[secret]` (in logs, JSON and string templates) so that only
 * the code that sends it to its vendor ever sees the value, through {@link Secret.reveal}.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }
}
