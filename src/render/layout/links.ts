// URLs written in a letter's text: found once here for both writers (PDF link annotations, DOCX hyperlinks).

/** A URL written in the text: http(s):// and printable ASCII, less trailing sentence punctuation. */
const URL_PATTERN = /https?:\/\/[!-~]+/g;
const URL_TRAILING_PUNCTUATION = /[.,;:!?'")\]}>]+$/;

export interface UrlSpan {
  /** UTF-16 offsets into the text, end exclusive. */
  readonly start: number;
  readonly end: number;
  readonly url: string;
}

/** The URLs in `text`, in order. */
export function urlSpans(text: string): UrlSpan[] {
  const spans: UrlSpan[] = [];
  for (const m of text.matchAll(URL_PATTERN)) {
    const url = m[0].replace(URL_TRAILING_PUNCTUATION, '');
    spans.push({ start: m.index, end: m.index + url.length, url });
  }
  return spans;
}
