import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** CLINC150 (Larson et al., EMNLP 2019), "full" variant: each split a list of [text, label]; `oos` marks out-of-scope. */
const SplitSchema = z.array(z.tuple([z.string(), z.string()]));

export const ClincDataSchema = z.object({
  train: SplitSchema,
  val: SplitSchema,
  test: SplitSchema,
  oos_train: SplitSchema,
  oos_val: SplitSchema,
  oos_test: SplitSchema,
});
export type ClincData = z.infer<typeof ClincDataSchema>;

/** CLINC150's out-of-scope label. */
export const CLINC_OOS_LABEL = 'oos';

export function loadClinc(path: string): ClincData {
  return ClincDataSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}
