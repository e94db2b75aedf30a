// A value that is already JSON text in the wire format of its shape (DynamoDB keeps
// items as the JSON of their AttributeValues): the awsJson codec splices the text
// into the response as it is, instead of parsing it into objects, walking them by
// shape and serializing them again. Other codecs parse it and carry on.

export class RawJson {
  constructor(readonly text: string) {}

  /** Where nothing splices it, JSON.stringify still writes the right value. */
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** Collects the RawJson values of one response as placeholders, then splices them. */
export class RawJsonSplicer {
  private readonly texts: string[] = [];
  // \u0001 is written escaped by JSON.stringify, and the nonce is this response's:
  // a user's string cannot turn into a placeholder.
  private readonly prefix = `\u0001${Math.random().toString(36).slice(2)}:`;

  placeholder(raw: RawJson): string {
    this.texts.push(raw.text);
    return this.prefix + (this.texts.length - 1);
  }

  stringify(value: unknown): string {
    const text = JSON.stringify(value);
    if (this.texts.length === 0) return text;
    const escaped = JSON.stringify(this.prefix).slice(1, -1).replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
    return text.replace(new RegExp(`"${escaped}(\\d+)"`, "g"), (_m, i: string) => this.texts[Number(i)]);
  }
}
