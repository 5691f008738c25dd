import { describe, expect, test } from 'vitest';
import { foldText, orgNumberPrefix, phonePrefixes } from '../../shared/index';

describe('folded text', () => {
  test.each([
    ['Östersund', 'ostersund'],
    ['JÄRVINEN', 'jarvinen'],
    ['Åsa Öhman-Ståhl', 'asa ohman-stahl'],
    ['ﬁnland', 'finland'], // a ligature pasted from a document
  ])('%j folds to %j', (text, folded) => {
    expect(foldText(text)).toBe(folded);
  });
});

describe('organisation numbers', () => {
  test.each([
    ['556123-4567', '5561234567'],
    [' 5561 ', '5561'],
    ['1234567-8', '12345678'],
    ['55', '55'],
  ])('%j searches from %j', (query, prefix) => {
    expect(orgNumberPrefix(query)).toBe(prefix);
  });

  test.each(['5', 'Åsa', '556a', '+46701'])('%j is not one', (query) => {
    expect(orgNumberPrefix(query)).toBeNull();
  });
});

describe('phone numbers being typed', () => {
  test.each([
    ['070', ['+4670', '+35870']],
    ['040 12', ['+464012', '+3584012']],
    ['040 123 4567', ['+46401234567', '+358401234567']],
    ['+358 40', ['+35840']],
    ['0046 70', ['+4670']],
    ['(08) 123', ['+468123', '+3588123']],
  ] as const)('%j may be the start of %j', (query, prefixes) => {
    expect(phonePrefixes(query)).toEqual(prefixes);
  });

  test.each(['07', 'Åsa', '070 abc', ''])('%j is not one', (query) => {
    expect(phonePrefixes(query)).toEqual([]);
  });
});
