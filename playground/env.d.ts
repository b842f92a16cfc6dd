// Vite imports stylesheets for their effect.
declare module "*.css";
