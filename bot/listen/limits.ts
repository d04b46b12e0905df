// Apart from config.ts so that the CLI's usage text can name it without loading zod.

/** The longest a listener runs, on the command line and in chat. */
export const MAX_LISTEN_SECONDS = 600;
