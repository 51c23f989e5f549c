/** The API's length limits (backend Features/Common/FieldRules.cs and the validators using it), shown as counters. */
export const NAME_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const REGION_MAX = 100;
export const TOKEN_NAME_MAX = 100;
