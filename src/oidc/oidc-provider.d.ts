// oidc-provider ships no type declarations; Tessera uses it through the narrow surface below.
declare module 'oidc-provider' {
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, any>);
    readonly issuer: string;
    proxy: boolean;
    Client: any;
    Grant: any;
    callback(): (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
    use(middleware: (ctx: any, next: () => Promise<void>) => Promise<void>): this;
    interactionDetails(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<any>;
    interactionResult(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    on(event: string, listener: (...args: any[]) => void): this;
    [key: string]: any;
  }
  export const interactionPolicy: any;
  export const errors: any;
}
