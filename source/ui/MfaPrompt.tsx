/** The code of an MFA device, asked when an assume-role profile needs one. */
import { Box, Text } from 'ink';
import { useState } from 'react';
import { KeyHints, QUIT } from './KeyHints.js';
import { visible } from '../visible.js';
import { TextField } from './TextField.js';

export interface MfaPromptProps {
  serial: string;
  onAnswer(code: string): void;
}

export function MfaPrompt({ serial, onAnswer }: MfaPromptProps) {
  const [problem, setProblem] = useState(false);
  const edited = () => setProblem(false);
  return (
    <Box flexDirection="column">
      <Text bold>MFA code needed</Text>
      <Box marginTop={1} flexDirection="column">
        <Text wrap="wrap">{`Your AWS profile assumes a role that needs a code from the MFA device ${visible(serial)}.`}</Text>
        <Box>
          <Text>Code: </Text>
          <TextField
            onSubmit={(code) => {
              if (/^\d{6}$/.test(code.trim())) onAnswer(code.trim());
              else setProblem(true);
            }}
            onChange={edited}
          />
        </Box>
        {problem ? <Text color="red">An MFA code is six digits.</Text> : null}
      </Box>
      <Box marginTop={1}>
        <KeyHints hints={[['type', 'the six digits'], ['Enter', 'confirm'], QUIT]} />
      </Box>
    </Box>
  );
}
