import { malformedPost } from "./errors.js";

// multipart/form-data (RFC 7578) as browsers send S3's POST Object forms: the
// fields in order, each with its name and, for the file, its file name.

export interface FormField {
  name: string;
  value: Buffer;
  filename?: string;
  contentType?: string;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
  return m ? (m[1] ?? m[2]) : undefined;
}

export function parseFormData(body: Buffer, boundary: string): FormField[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: FormField[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw malformedPost();
  for (;;) {
    pos += delimiter.length;
    // "--" after a delimiter closes the form.
    if (body[pos] === 45 && body[pos + 1] === 45) return fields;
    if (body[pos] !== 13 || body[pos + 1] !== 10) throw malformedPost();
    pos += 2;
    const headerEnd = body.indexOf("\r\n\r\n", pos);
    if (headerEnd < 0) throw malformedPost();
    const headers = body.toString("utf8", pos, headerEnd).split("\r\n");
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headerEnd + 4);
    if (next < 0) throw malformedPost();
    const field: FormField = { name: "", value: body.subarray(headerEnd + 4, next) };
    for (const line of headers) {
      const colon = line.indexOf(":");
      const header = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (header === "content-disposition") {
        field.name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? "";
        const filename = /\bfilename="([^"]*)"/i.exec(value)?.[1];
        if (filename !== undefined) field.filename = filename;
      } else if (header === "content-type") field.contentType = value;
    }
    if (!field.name) throw malformedPost();
    fields.push(field);
    pos = next + 2;
  }
}
