// Worker entry for parallel validation; wired in validate/pool.ts.
export {};
