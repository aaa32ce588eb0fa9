// The conformance suites' comparison: two stores' answers to one call, where an answer is what the call resolved to
// or, when it threw, the error's code and message (so a refusal compares across stores as much as a result does).

export async function answerOf<T>(call: () => unknown): Promise<T> {
  try {
    return (await call()) as T;
  } catch (err) {
    const e = err as { code?: string; message: string };
    return { error: e.code ?? 'unknown', message: e.message } as T;
  }
}

/** The left store's answer, then the right one's (one after the other: the calls may share a clock). */
export async function bothAnswers<S, T>(left: S, right: S, call: (s: S) => unknown): Promise<[T, T]> {
  return [await answerOf<T>(() => call(left)), await answerOf<T>(() => call(right))];
}
