/**
 * Short printable forms of values for object reprs and error messages
 * (`<Future finished result=42>`), kept to one line.
 */

/** The key Node's `util.inspect` looks up for an object's own printed form. */
export const inspectSymbol: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;

export function formatValue(value: unknown, max = 60): string {
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (typeof value === "function") text = `[Function ${value.name || "anonymous"}]`;
  else if (value instanceof Error) text = `${value.name}(${JSON.stringify(value.message)})`;
  else if (typeof value === "bigint") text = `${value}n`;
  else if (typeof value === "symbol") text = value.toString();
  else if (value !== null && typeof value === "object") {
    const own = (value as { toString?: () => string }).toString;
    if (own !== Object.prototype.toString && typeof own === "function") text = String(value);
    else if (Array.isArray(value))
      text = `[${value.map((item) => formatValue(item, 20)).join(", ")}]`;
    else {
      try {
        text = JSON.stringify(value) ?? String(value);
      } catch {
        text = Object.prototype.toString.call(value);
      }
    }
  } else text = String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
