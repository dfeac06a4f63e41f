/** The schema of a priority matrix in the operator's configuration. */
import { z } from 'zod';
import { PRIORITIES } from '../model/priority';

const row = z.object({ high: z.enum(PRIORITIES), medium: z.enum(PRIORITIES), low: z.enum(PRIORITIES) }).strict();
export const PriorityMatrixSchema = z.object({ high: row, medium: row, low: row }).strict();
