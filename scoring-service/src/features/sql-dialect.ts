/**
 * The part of warehouse/dialect.ts `Dialect` that feature SQL uses. Declared structurally
 * here because features/ is a pure core that may not import the warehouse; every Dialect
 * satisfies it (test/features-sql.test.ts checks both dialects).
 */
export interface FeatureSqlDialect {
  readonly name: string;
  ident(name: string): string;
  float(expr: string): string;
  arrayLength(expr: string): string;
}
