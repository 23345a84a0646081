import { type ExecutionResult, GraphQLError } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';

/** graphql-js's "Did you mean …?" tail: optional words, then up to five quoted names. */
const SUGGESTION = / Did you mean [^"?]*"[^"]*"(?:,? (?:or )?"[^"]*")*\?/g;

/** The message without its suggestions, which would spell out the schema to a prober. */
export const withoutSuggestions = (message: string) => message.replace(SUGGESTION, '');

const suggests = (error: GraphQLError) => error.message.includes(' Did you mean ');

function stripResult(result: ExecutionResult): ExecutionResult | undefined {
  if (!result.errors?.some(suggests)) return undefined;
  return {
    ...result,
    errors: result.errors.map((error) =>
      suggests(error) ? new GraphQLError(withoutSuggestions(error.message), error) : error,
    ),
  };
}

/**
 * Leaves "Did you mean …?" out of every error: validation (fields, arguments, types, enum values,
 * input fields) through graphql-js's own `hideSuggestions`, and variable coercion, which yoga's
 * executor runs without that option, by editing the messages it returns.
 */
export function hideSuggestions(): Plugin {
  const strip = ({
    result,
    setResult,
  }: {
    result: ExecutionResult;
    setResult: (result: ExecutionResult) => void;
  }) => {
    const stripped = stripResult(result);
    if (stripped) setResult(stripped);
  };
  return {
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((schema, document, rules, options, typeInfo) =>
        validateFn(schema, document, rules, { ...options, hideSuggestions: true }, typeInfo),
      );
    },
    onExecute: () => ({
      onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, strip),
    }),
    onSubscribe: () => ({
      onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, strip),
    }),
  };
}
