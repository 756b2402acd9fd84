// A stand-in for a real database, with the data of examples/request-response. Unlike that one it
// can be slow and can be told to stop, which is what a call's cancellation is for.
export interface Fruit {
  name: string;
  color: string;
}

const FRUITS: Fruit[] = [
  { name: "apple", color: "red" },
  { name: "apricot", color: "orange" },
  { name: "banana", color: "yellow" },
  { name: "blueberry", color: "blue" },
  { name: "cherry", color: "red" },
];

/** The first letters of the fruits there are, sorted: what a query can start with. */
export const FIRST_LETTERS = [...new Set(FRUITS.map((f) => f.name[0]))].sort();

/**
 * The fruits whose name starts with the query, after a short delay (5 s when slow), as a real
 * database would take. When the signal aborts, the query stops and rejects with the signal's reason.
 */
export function fetchFromDatabase(
  query: string,
  { slow = false, signal }: { slow?: boolean; signal?: AbortSignal } = {},
): Promise<Fruit[]> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      const q = query.trim().toLowerCase();
      resolve(FRUITS.filter((f) => f.name.startsWith(q)));
    }, slow ? 5000 : 5);
    signal?.addEventListener("abort", stop, { once: true });
  });
}
