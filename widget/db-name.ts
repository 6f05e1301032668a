/** The widget runs in the hospital's own EMR: its cache and decisions live in that origin, in this IndexedDB database. */
export const WIDGET_DB = 'huren-widget';
