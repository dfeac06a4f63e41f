/**
 * zod building blocks for text that reaches a workflow: sizes in UTF-8 bytes and the
 * character rules of {@link ./text}. Every schema that takes an identifier, a title or free
 * text from outside builds it from these, so the rule lives in one place.
 */
import { z } from 'zod';
import { hasLineForbidden, hasTextForbidden, LINE_RULE, TEXT_RULE, utf8Bytes } from '../model/text';

/** The message of a size check: what the limit is, and in which unit. */
export const bytesRule = (maxBytes: number) => `at most ${maxBytes} bytes (UTF-8)`;

/** A string of at most `maxBytes` UTF-8 bytes. */
export function utf8String(maxBytes: number) {
  return z.string().refine((value) => utf8Bytes(value) <= maxBytes, { message: bytesRule(maxBytes) });
}

/**
 * An identifier or one-line title: non-empty, at most `maxBytes` UTF-8 bytes, no control,
 * bidirectional or line-separator characters.
 */
export function plainLine(maxBytes: number) {
  return z
    .string()
    .min(1)
    .refine((value) => utf8Bytes(value) <= maxBytes, { message: bytesRule(maxBytes) })
    .refine((value) => !hasLineForbidden(value), { message: LINE_RULE });
}

/** Free text (a note, a description): at most `maxBytes` UTF-8 bytes; tabs and newlines allowed, other controls not. */
export function freeText(maxBytes: number, { min = 1 }: { min?: number } = {}) {
  return z
    .string()
    .min(min)
    .refine((value) => utf8Bytes(value) <= maxBytes, { message: bytesRule(maxBytes) })
    .refine((value) => !hasTextForbidden(value), { message: TEXT_RULE });
}
