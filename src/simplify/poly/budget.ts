/**
 * Work budgets for polynomial arithmetic. Every multiplication, division step and
 * GCD step charges the active budget; when it runs out the budget's `exceed` throws.
 * `expand` throws a `JacobiError("limit")`; `cancel` catches its own `BudgetExceeded`
 * and returns its input unchanged. The active budget is dynamically scoped
 * (`withBudget`), so the arithmetic does not thread it through every call.
 */
import { JacobiError } from "../../core/errors.js";
import { LIMITS } from "../../core/limits.js";

export interface Budget {
  /** Term operations still allowed (one coefficient product or one division step each). */
  work: number;
  /** The most terms one polynomial may have. */
  readonly maxTerms: number;
  /** The highest degree in one generator that the GCD works with. */
  readonly maxDegree: number;
  /** The most bits in a coefficient's numerator or denominator. */
  readonly maxCoefficientBits: number;
  exceed(what: string): never;
}

/** Thrown by a cancel budget; caught by `cancel`, never seen by callers. */
export class BudgetExceeded extends Error {
  constructor(what: string) {
    super(`polynomial budget exceeded: ${what}`);
    this.name = "BudgetExceeded";
  }
}

/**
 * `expand`: an expansion may do up to `LIMITS.maxNodes` term products and produce
 * polynomials of up to `LIMITS.maxNodes` terms; beyond that it is refused with a
 * limit error.
 */
export function expandBudget(): Budget {
  return {
    work: LIMITS.maxNodes,
    maxTerms: LIMITS.maxNodes,
    maxDegree: Infinity,
    maxCoefficientBits: Infinity,
    exceed(what: string): never {
      throw new JacobiError("limit", `expansion is too large: ${what} (the limit is ${LIMITS.maxNodes} terms and term products)`);
    },
  };
}

/**
 * The documented budget of one `cancel`/`together`-to-one-fraction call: past any of
 * these the call gives up and returns its input unchanged.
 */
export const CANCEL_LIMITS = {
  /** Term operations for the whole call (conversion, products, divisions, GCDs). */
  maxWork: 2_000_000,
  /** Terms of any one polynomial. */
  maxTerms: 20_000,
  /** Degree in any one generator of a polynomial whose GCD is taken. */
  maxDegree: 1_000,
  /** Bits of any coefficient's numerator or denominator. */
  maxCoefficientBits: 8_192,
} as const;

export function cancelBudget(): Budget {
  return {
    work: CANCEL_LIMITS.maxWork,
    maxTerms: CANCEL_LIMITS.maxTerms,
    maxDegree: CANCEL_LIMITS.maxDegree,
    maxCoefficientBits: CANCEL_LIMITS.maxCoefficientBits,
    exceed(what: string): never {
      throw new BudgetExceeded(what);
    },
  };
}

function limitError(what: string): never {
  throw new JacobiError("limit", `polynomial arithmetic is too large: ${what} (the limit is ${LIMITS.maxNodes} terms)`);
}

/** With no active budget (direct use of the arithmetic), only the global size limit applies. */
const DEFAULT_BUDGET: Budget = {
  work: Infinity,
  maxTerms: LIMITS.maxNodes,
  maxDegree: Infinity,
  maxCoefficientBits: Infinity,
  exceed: limitError,
};

let active: Budget = DEFAULT_BUDGET;

/** Runs `f` with `budget` active, restoring the previous one afterwards. */
export function withBudget<T>(budget: Budget, f: () => T): T {
  const previous = active;
  active = budget;
  try {
    return f();
  } finally {
    active = previous;
  }
}

/** Charges `n` term operations to the active budget. */
export function charge(n: number): void {
  active.work -= n;
  if (active.work < 0) active.exceed(`more than the allowed term operations`);
}

/** Checks a polynomial's size against the active budget. */
export function checkTerms(n: number): void {
  if (n > active.maxTerms) active.exceed(`a polynomial of ${n} terms`);
}

export function checkDegree(d: number): void {
  if (d > active.maxDegree) active.exceed(`degree ${d}`);
}

export function checkBits(bits: number): void {
  if (bits > active.maxCoefficientBits) active.exceed(`a ${bits}-bit coefficient`);
}

/** Gives up through the active budget. */
export function refuse(what: string): never {
  return active.exceed(what);
}

/** The cancel budget for callers that need an answer (`polyGcd`): exceeding it is a limit error. */
export function strictCancelBudget(): Budget {
  return {
    ...cancelBudget(),
    exceed(what: string): never {
      throw new JacobiError("limit", `polynomial GCD is too large: ${what}`);
    },
  };
}
