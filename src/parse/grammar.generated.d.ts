// Types for the nearleyc output (grammar.generated.js is a build output of grammar/jacobi.ne).
import type { CompiledRules } from "nearley";
declare const grammar: CompiledRules;
export default grammar;
