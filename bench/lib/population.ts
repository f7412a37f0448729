/**
 * The seeded directory, as a pure function of the user's number: the seeder writes user i, and the
 * load generator asks for user i, without either reading the other. Display names repeat as in a
 * real directory (2,000 first/last combinations), so `startswith(displayName,'Ava')` matches 1 in 40
 * users and a page of 100 is always full; `startswith(displayName,'Zz')` matches nobody, the case
 * where a scan without an index reads every row.
 */
const FIRST = [
  'Ava', 'Ben', 'Chloe', 'Daan', 'Emma', 'Finn', 'Grace', 'Hugo', 'Isla', 'Jack', 'Julia', 'Lars', 'Lea', 'Liam', 'Lucas', 'Mila', 'Noah', 'Nora',
  'Olivia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Sara', 'Sofia', 'Tess', 'Thomas', 'Uma', 'Victor', 'Wei', 'Xavier', 'Yara', 'Yusuf', 'Zoe',
  'Anna', 'Bram', 'Carmen', 'David', 'Eva',
] as const;
const LAST = [
  'Adams', 'Bakker', 'Chen', 'de Vries', 'Evans', 'Fischer', 'Garcia', 'Hansen', 'Ito', 'Jansen', 'Khan', 'Kowalski', 'Lopez', 'Meyer', 'Nguyen',
  'Okafor', 'Patel', 'Quispe', 'Rossi', 'Smith', 'Tanaka', 'Usman', 'Visser', 'Wang', 'Xu', 'Yilmaz', 'Zimmermann', 'Brown', 'Costa', 'Dubois',
  'Eriksen', 'Fontaine', 'Gruber', 'Horvat', 'Ivanova', 'Jensen', 'Kim', 'Larsen', 'Moreau', 'Novak', 'Olsen', 'Peeters', 'Russo', 'Silva',
  'Torres', 'Unger', 'Vos', 'Weber', 'Young', 'Zhang',
] as const;
const JOBS = ['Engineer', 'Designer', 'Analyst', 'Sales Manager', 'Support Specialist', 'Recruiter', 'Accountant', 'Product Manager'] as const;
const DEPARTMENTS = ['Engineering', 'Design', 'Finance', 'Sales', 'Support', 'People', 'Marketing', 'Operations'] as const;

export interface BenchUser {
  id: string;
  userPrincipalName: string;
  mail: string;
  mailNickname: string;
  displayName: string;
  givenName: string;
  surname: string;
  jobTitle: string;
  department: string;
}

/**
 * The lists and divisors user i is made from. The seeder generates the same users inside the
 * database from these (SQL beside `benchUser`), so the two must agree; a test checks that they do.
 */
export const POPULATION = {
  first: FIRST,
  last: LAST,
  jobs: JOBS,
  departments: DEPARTMENTS,
  /** user i's department is departments[floor(i / DEPARTMENT_RUN) % departments.length] */
  departmentRun: 7,
  /** user i's id is ID_PREFIX + i in 12 hex digits */
  idPrefix: 'b0000000-0000-4000-8000-',
} as const;

/** A GUID made from the number: ordered, so the seeder appends to the primary-key index instead of scattering. */
export function benchUserId(i: number): string {
  return `${POPULATION.idPrefix}${i.toString(16).padStart(12, '0')}`;
}

export function benchUser(i: number, domain: string): BenchUser {
  const givenName = FIRST[i % FIRST.length]!;
  const surname = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
  // surnames hold at most single spaces ('de Vries'), which the SQL twin removes with replace(…, ' ', '')
  const alias = `${givenName}.${surname.replaceAll(' ', '')}.${i}`.toLowerCase();
  return {
    id: benchUserId(i),
    userPrincipalName: `${alias}@${domain}`,
    mail: `${alias}@mail.${domain}`,
    mailNickname: alias,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    jobTitle: JOBS[i % JOBS.length]!,
    department: DEPARTMENTS[Math.floor(i / POPULATION.departmentRun) % DEPARTMENTS.length]!,
  };
}

/** Prefixes for the startswith benchmark that match many users. */
export const MATCHING_PREFIXES: readonly string[] = FIRST.slice(0, 10);
/** A prefix no seeded display name has. */
export const UNMATCHED_PREFIX = 'Zz';

/** `count` user numbers spread over the population (deterministic), for lookups that should not hit one hot row. */
export function sampleUsers(population: number, count: number): number[] {
  const out: number[] = [];
  let x = 0x2545f491;
  for (let k = 0; k < Math.min(count, population); k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.push((x >>> 0) % population);
  }
  return out;
}
