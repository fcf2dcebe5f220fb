import { readFile } from 'node:fs/promises';
import { CsvScanner } from './csv/scanner';
import { FinopsError } from './errors';
import { parseMicros } from './money';

/** What a customers file says of one customer; every field but the id is optional. */
export interface CustomerInfo {
  customerId: string;
  /** The customer's plan (any name); overrides the plan the log gives. */
  plan?: string;
  /** What the customer pays a month, in integer micro-dollars. */
  monthlyRevenueMicros?: number;
  organizationId?: string;
  name?: string;
}

/** A customers file that cannot be read: names the file, line, column and reason of every problem. */
export class CustomersFileError extends FinopsError {
  declare readonly code: 'invalid_customers_file';

  constructor(
    readonly source: string,
    readonly issues: readonly string[],
  ) {
    super(
      'invalid_customers_file',
      `${source}: invalid customers file:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`,
    );
    this.name = 'CustomersFileError';
  }
}

/** The columns a customers file may have; only `customer_id` is required. */
export const CUSTOMER_COLUMNS = [
  'customer_id',
  'plan',
  'monthly_revenue_usd',
  'organization_id',
  'name',
] as const;

/** Customers by id, as a customers file gives them (see {@link parseCustomersCsv}). */
export class CustomerDirectory {
  private readonly byId = new Map<string, CustomerInfo>();

  constructor(customers: Iterable<CustomerInfo> = []) {
    for (const customer of customers) this.byId.set(customer.customerId, customer);
  }

  /** The customer's entry, or `undefined` when the file does not list it. */
  get(customerId: string): CustomerInfo | undefined {
    return this.byId.get(customerId);
  }

  /** Number of customers listed. */
  get size(): number {
    return this.byId.size;
  }

  /** Every entry, in file order. */
  entries(): CustomerInfo[] {
    return [...this.byId.values()];
  }
}

/**
 * Reads a customers CSV (`customer_id`, `plan`, `monthly_revenue_usd`,
 * `organization_id`, `name`; any order, all but the id optional). Throws a
 * {@link CustomersFileError} listing every bad line: a missing id, an id
 * listed twice, a revenue that is not a non-negative number of dollars.
 */
export function parseCustomersCsv(text: string, source = 'customers.csv'): CustomerDirectory {
  const rows: string[][] = [];
  const lines: number[] = [];
  const issues: string[] = [];
  const scanner = new CsvScanner();
  scanner.scan(
    text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
    0,
    true,
    (fieldText, starts, ends, count, line) => {
      const fields: string[] = [];
      for (let index = 0; index < count; index++)
        fields.push(fieldText.slice(starts[index], ends[index]).trim());
      rows.push(fields);
      lines.push(line);
    },
    (line, why) => issues.push(`line ${line}: ${why}`),
  );
  const header = (rows.shift() ?? []).map((name) => name.toLowerCase());
  lines.shift();
  const position = (column: string): number => header.indexOf(column);
  if (position('customer_id') < 0) {
    throw new CustomersFileError(source, [
      `line 1: the header lacks customer_id (columns: ${CUSTOMER_COLUMNS.join(', ')}; found ${header.join(', ') || 'nothing'})`,
    ]);
  }
  const seen = new Set<string>();
  const customers: CustomerInfo[] = [];
  rows.forEach((fields, index) => {
    const line = lines[index] as number;
    const value = (column: string): string => fields[position(column)] ?? '';
    const customerId = value('customer_id');
    if (customerId === '') return issues.push(`line ${line}: customer_id is empty`);
    if (seen.has(customerId))
      return issues.push(`line ${line}: customer_id ${JSON.stringify(customerId)} is listed twice`);
    seen.add(customerId);
    const entry: CustomerInfo = { customerId };
    const revenue = value('monthly_revenue_usd');
    if (revenue !== '') {
      const micros = parseMicros(revenue);
      if (micros < 0)
        return issues.push(
          `line ${line}: monthly_revenue_usd ${JSON.stringify(revenue)} is not a non-negative number of dollars`,
        );
      entry.monthlyRevenueMicros = micros;
    }
    if (value('plan') !== '') entry.plan = value('plan');
    if (value('organization_id') !== '') entry.organizationId = value('organization_id');
    if (value('name') !== '') entry.name = value('name');
    customers.push(entry);
    return undefined;
  });
  if (issues.length > 0) throw new CustomersFileError(source, issues);
  return new CustomerDirectory(customers);
}

/** Reads a customers CSV file (see {@link parseCustomersCsv}). */
export async function loadCustomersFile(path: string): Promise<CustomerDirectory> {
  return parseCustomersCsv(await readFile(path, 'utf8'), path);
}
