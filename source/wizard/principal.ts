/** An IAM or STS ARN, as --principal takes it (commands/args.ts checks the flag the same way). */
export const PRINCIPAL_ARN = /^arn:[^:]+:(iam|sts)::\d{12}:.+/;
