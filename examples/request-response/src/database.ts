// A stand-in for a real database: the pattern only needs something asynchronous that answers a query.
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

/** The fruits whose name starts with the query, after a short delay as a real database would take. */
export async function fetchFromDatabase(query: string): Promise<Fruit[]> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  const q = query.trim().toLowerCase();
  return FRUITS.filter((f) => f.name.startsWith(q));
}
