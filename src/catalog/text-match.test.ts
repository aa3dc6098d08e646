import { matchKey, similarity } from './text-match';

test('matchKey: NFKC, Latin lower case, no whitespace', () => {
  expect(matchKey(' Ｃ３０１１　水泥 制造 ')).toBe('c3011水泥制造');
  expect(matchKey('矽尘（游离SiO2含量≥10%）')).toBe('矽尘(游离sio2含量≥10%)');
});

test('similarity: 0 without a shared character; substring and bigrams rank higher', () => {
  expect(similarity('水泥', '玻璃制造')).toBe(0);
  expect(similarity('水泥', '水泥制造')).toBeGreaterThan(similarity('水泥', '水泥、石灰和石膏制造'));
  expect(similarity('水泥', '水泥、石灰和石膏制造')).toBeGreaterThan(similarity('水泥', '泥塑'));
  expect(similarity('家俱', '家具制造业')).toBeGreaterThan(0);
});
