import type { DataSource, EntityMetadata } from 'typeorm';
import type { Row } from './prepared-query.js';

/**
 * Hand-written SELECT lists for an entity, and hydration of their rows from
 * entity metadata, for the few hot statements that skip the query builder's
 * per-call planning. Every column is selected under `<prefix><column>`, so
 * two tables can share one row (a session joined with its user).
 */
export class EntityRows {
  constructor(
    private readonly dataSource: DataSource,
    readonly metadata: EntityMetadata,
  ) {}

  quote(name: string): string {
    return this.dataSource.driver.escape(name);
  }

  /** The table, schema-qualified when it has one. */
  get table(): string {
    const { schema, tableName } = this.metadata;
    return schema ? `${this.quote(schema)}.${this.quote(tableName)}` : this.quote(tableName);
  }

  column(property: string): string {
    const found = this.metadata.findColumnWithPropertyName(property);
    if (!found) throw new Error(`${this.metadata.name} has no ${property} column`);
    return this.quote(found.databaseName);
  }

  /** `alias.col AS "<prefix>col", ...` for every stored column. */
  selectList(alias: string, prefix: string): string {
    return this.storedColumns()
      .map((column) => `${alias}.${this.quote(column.databaseName)} AS ${this.quote(prefix + column.databaseName)}`)
      .join(', ');
  }

  /** A JSON array of rows of this entity (for `json_agg(r)`), hydrated. */
  hydrateJsonRows<T>(value: unknown): T[] {
    const rows = (typeof value === 'string' ? JSON.parse(value) : value) as Row[] | null;
    return (rows ?? []).map((row) => this.hydrate<T>(row, ''));
  }

  hydrate<T>(row: Row, prefix: string): T {
    const entity = this.metadata.create() as T;
    for (const column of this.storedColumns()) {
      const key = prefix + column.databaseName;
      if (!(key in row)) continue;
      column.setEntityValue(entity as object, this.dataSource.driver.prepareHydratedValue(row[key], column));
    }
    return entity;
  }

  private storedColumns() {
    return this.metadata.columns.filter((column) => !column.relationMetadata && !column.isVirtual);
  }
}
