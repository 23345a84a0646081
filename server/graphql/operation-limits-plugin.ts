import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { operationLimitErrors } from './operation-limits.ts';

/**
 * Refuses an operation whose lists or cost are over the limits before any resolver runs: the
 * cost needs the variables' values, which validation never sees.
 */
export function useOperationLimits(limits: { maxCost: number }): Plugin {
  const check = ({
    args,
    setResultAndStopExecution,
  }: {
    args: ExecutionArgs;
    setResultAndStopExecution: (result: ExecutionResult) => void;
  }) => {
    const errors = operationLimitErrors(args, limits);
    if (errors.length > 0) setResultAndStopExecution({ errors });
  };
  return { onExecute: check, onSubscribe: check };
}
