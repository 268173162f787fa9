/** ANSI styling for the renderers; every function is the identity when colour is off (piped output, tests). */
export interface Style {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  magenta(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

/** Terraform's palette: green create, yellow update, red delete, magenta needs-a-human. */
export function createStyle(color: boolean): Style {
  if (!color) {
    const plain = (text: string) => text;
    return { green: plain, yellow: plain, red: plain, magenta: plain, dim: plain, bold: plain };
  }
  return {
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    red: wrap(31, 39),
    magenta: wrap(35, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}
