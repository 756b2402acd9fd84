export function label(name) {
  return name + "-static-import";
}
