// completion SHELL: a script that completes `kubectl-sts_lab …` in that shell, asking the
// plugin itself (`__complete`, the protocol kubectl uses for plugins through the
// kubectl_complete-sts_lab helper).
import type { Argv } from 'yargs';
import { asUsage } from '../errors.ts';
import { defineCommand } from '../command-support/command.ts';

export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
type Shell = (typeof SHELLS)[number];

const BIN = 'kubectl-sts_lab';

// Each asks `kubectl-sts_lab __complete <words…> <current word>`: candidates, one per line
// ("value<TAB>description"), then ":<directive>" (0: files may complete too, 4: they may not).
const SCRIPTS: Record<Shell, string> = {
  bash: `# bash completion for ${BIN}: source <(${BIN} completion bash)
_kubectl_sts_lab() {
  local cur=\${COMP_WORDS[COMP_CWORD]} out directive IFS=$'\\n'
  out=$("\${COMP_WORDS[0]}" __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return
  directive=\${out##*:}
  COMPREPLY=($(compgen -W "$(printf '%s\\n' "$out" | sed '$d' | cut -f1)" -- "$cur"))
  [ "$directive" = 0 ] && [ \${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -f -- "$cur"))
  return 0
}
complete -F _kubectl_sts_lab ${BIN}
`,
  zsh: `#compdef ${BIN}
# zsh completion for ${BIN}: source <(${BIN} completion zsh)
_kubectl_sts_lab() {
  local -a lines candidates
  lines=("\${(@f)$("\${words[1]}" __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  local directive=\${lines[-1]#:}
  for l in "\${(@)lines[1,-2]}"; do candidates+=("\${\${l%%$'\\t'*}//:/\\\\:}:\${l#*$'\\t'}"); done
  _describe '${BIN}' candidates
  [[ $directive == 0 ]] && _files
}
compdef _kubectl_sts_lab ${BIN}
`,
  fish: `# fish completion for ${BIN}: ${BIN} completion fish | source
function __kubectl_sts_lab_complete
  set -l words (commandline -opc)[2..-1] (commandline -ct)
  ${BIN} __complete $words 2>/dev/null | string match -v -r '^:'
end
complete -c ${BIN} -f -a '(__kubectl_sts_lab_complete)'
`,
  powershell: `# PowerShell completion for ${BIN}: ${BIN} completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName '${BIN}', '${BIN}.exe' -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  if ($wordToComplete -eq '') { $words += '""' }
  & '${BIN}' __complete @words 2>$null | Where-Object { $_ -notmatch '^:' } | ForEach-Object {
    $value, $help = $_ -split "\`t", 2
    [System.Management.Automation.CompletionResult]::new($value, $value, 'ParameterValue', $(if ($help) { $help } else { $value }))
  }
}
`,
};

export default defineCommand({
  command: 'completion <shell>',
  examples: [
    ['source <(kubectl sts-lab completion bash)', 'Complete in this bash shell'],
    ['kubectl sts-lab completion zsh > "${fpath[1]}/_kubectl-sts_lab"', 'Install it for zsh'],
  ],
  describe: `Print a shell completion script (${SHELLS.join(', ')}); kubectl itself completes through the helper in the archive`,
  judges: false,
  builder: (y: Argv) => y.positional('shell', { type: 'string', describe: SHELLS.join(', ') }),
  options: (a): { shell: Shell } =>
    asUsage(() => {
      const shell = String(a.shell);
      if (!(SHELLS as readonly string[]).includes(shell))
        throw new Error(`unsupported shell "${shell}": use one of ${SHELLS.join(', ')}`);
      return { shell: shell as Shell };
    }),
  run: async ({ shell }) => ({ ok: true, data: { shell, script: SCRIPTS[shell] } }),
  present: ({ data }) => ({ sections: [], verbatim: data.script }),
});
