import { planStack } from "../../infra/offline/stack";

type Plan = Awaited<ReturnType<typeof planStack>>;
const cache = new Map<string, Promise<Plan>>();

/** A shipped stack planned once per test run: several suites read the same plans. */
export function plannedStack(stack: string): Promise<Plan> {
  if (!cache.has(stack)) cache.set(stack, planStack(stack));
  return cache.get(stack)!;
}
