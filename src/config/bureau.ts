// A county's health bureau as the region config describes it: the letter's signer and numbering prefix.

export interface Bureau {
  countyCode: string; // GB/T 2260, e.g. 450222
  countyName: string; // 柳城县
  name: string; // 柳城县卫生健康局
  /** 机关代字 used in document numbers, e.g. 柳城卫职告 */
  numberPrefix: string;
  /** Seal image (PNG) and its diameter; when present the letter uses GB/T 9704 7.3.5.1. */
  seal?: { png: Uint8Array; diameterMm: number };
  contact?: string;
}
