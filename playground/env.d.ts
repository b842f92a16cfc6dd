// Vite imports stylesheets for their effect.
declare module "*.css";
// Vite imports a file's text with `?raw` (the examples' programs).
declare module "*?raw" {
  const text: string;
  export default text;
}
