import { randomBytes } from "node:crypto";

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

// The placeholder's mark: \u0001, which JSON.stringify always writes escaped, and a
// random nonce of this process that no response ever shows, so a user's string
// cannot turn into a placeholder. One mark per process keeps the splice a plain
// indexOf scan (a RegExp built per response costs a compilation each time).
const NONCE = `\u0001${randomBytes(12).toString("base64url")}:`;
const MARK = JSON.stringify(NONCE).slice(0, -1);

/** Collects the RawJson values of one response as placeholders, then splices them. */
export class RawJsonSplicer {
  private readonly texts: string[] = [];

  placeholder(raw: RawJson): string {
    this.texts.push(raw.text);
    return NONCE + (this.texts.length - 1);
  }

  stringify(value: unknown): string {
    const text = JSON.stringify(value);
    if (this.texts.length === 0) return text;
    let out = "";
    let from = 0;
    for (let at = text.indexOf(MARK); at !== -1; at = text.indexOf(MARK, from)) {
      const end = text.indexOf('"', at + MARK.length);
      out += text.slice(from, at) + this.texts[Number(text.slice(at + MARK.length, end))];
      from = end + 1;
    }
    return out + text.slice(from);
  }
}
