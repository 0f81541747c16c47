export const corePaths: Record<string, unknown> = {};
export const coreSchemas: Record<string, unknown> = {};
