export { accountIssues, placeIssues } from './accountIssues.js';
export type { TableItemIssue } from './checkTableItems.js';
export { checkTableItems } from './checkTableItems.js';
export {
  BUCKET_SETTINGS_ID,
  DESIRED_FILE_VERSION,
  fileSource,
  TEMPLATES_PARTITION,
  templateSource,
} from './constants.js';
export { DesiredStateError, InvalidDesiredFileError, InvalidGlobError } from './errors.js';
export type {
  DesiredBucketEntry,
  DesiredStateFile,
  DesiredTemplate,
  DesiredTemplateMatch,
} from './fileSchema.js';
export { desiredStateFileSchema } from './fileSchema.js';
export { formatFileError } from './formatFileError.js';
export type { CommonBucketName, CommonBucketNameOptions } from './globIntersection.js';
export { commonBucketName } from './globIntersection.js';
export { compileGlob, globProblems, globSteps, matchGlob } from './globMatch.js';
export {
  DESIRED_STATE_SCHEMA_PATH,
  desiredStateJsonSchema,
  desiredStateJsonSchemaText,
} from './jsonSchema.js';
export { loadDesiredFile } from './loadDesiredFile.js';
export type {
  BucketDeclaration,
  BucketSettings,
  Declarations,
  TemplateDeclaration,
} from './resolveTemplates.js';
export { matchesTemplate, resolveDesiredState } from './resolveTemplates.js';
export type {
  BucketSettingsTableItem,
  ConfigurationTableItem,
  DesiredTableItem,
  FileToItemsOptions,
  TemplateTableItem,
} from './tableItems.js';
export { fileToItems, itemsToDesiredBuckets, itemsToTemplates, resolveStoredState } from './tableItems.js';
export type { TemplateInventoryRef, TemplateOverlap } from './templateOverlaps.js';
export { templateOverlapIssues, templateOverlaps } from './templateOverlaps.js';
export type {
  DesiredDefaults,
  FileError,
  KnownBucket,
  LoadDesiredFileResult,
  Locate,
  ResolvedBucket,
  ResolvedDesiredState,
  SourcePosition,
  TemplateConflict,
} from './types.js';
