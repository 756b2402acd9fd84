export const name = "dynamic-import";
