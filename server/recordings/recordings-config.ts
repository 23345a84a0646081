export type RecordingsConfig = {
  /**
   * Where recordings are written (`<DATA_DIR>/recordings` from the environment); null turns
   * recording off. @default null
   */
  dir: string | null;
};

export const defaultRecordingsConfig: RecordingsConfig = { dir: null };
