// The key an employer's document number is kept under in the register.

/** USCC if present, else county + name (NFKC, without white space). */
export function employerKey(countyCode: string, name: string, uscc?: string): string {
  return uscc ? `uscc:${uscc.toUpperCase()}` : `name:${countyCode}:${name.normalize('NFKC').replace(/\s+/g, '')}`;
}
