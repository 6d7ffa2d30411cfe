// The scripts `kubectl podres completion SHELL` prints. They complete the `kubectl-podres`
// command itself by asking `kubectl-podres __complete <words> <partial>` (complete.ts: one
// candidate per line, "value<TAB>description", then ":<Cobra directive>"). `kubectl podres <TAB>`
// needs none of them: kubectl's own completion runs kubectl_complete-podres, which speaks the
// same protocol.
//
// Directive bits: 1 error, 2 no space, 4 no file completion, 8 filter file extensions (the
// candidates are the extensions), 16 directories only.

import type { COMPLETION_SHELLS } from './command-table.js';

export type Shell = (typeof COMPLETION_SHELLS)[number];

const BASH = `# bash completion for kubectl-podres
# Load it in the current shell:  source <(kubectl-podres completion bash)
# or for every shell:            kubectl-podres completion bash > ~/.local/share/bash-completion/completions/kubectl-podres
# (\`kubectl podres <TAB>\` completes through kubectl and kubectl_complete-podres instead.)

__kubectl_podres_complete() {
    local line=\${COMP_LINE:0:COMP_POINT}
    local -a words
    read -ra words <<<"$line"
    # the word being completed, whole (COMP_WORDS splits it at "=" and ":")
    local partial=""
    if [[ $line != *[[:space:]] ]]; then
        partial=\${words[\${#words[@]}-1]}
        unset 'words[\${#words[@]}-1]'
    fi
    # what readline replaces: the part after the last word-break character
    local cur=$partial
    [[ $COMP_WORDBREAKS == *=* ]] && cur=\${cur##*=}
    [[ $COMP_WORDBREAKS == *:* ]] && cur=\${cur##*:}
    local out
    out=$("\${words[0]}" __complete "\${words[@]:1}" "$partial" 2>/dev/null) || return 0
    local -a lines=() comps=()
    mapfile -t lines <<<"$out"
    local directive=0 last=\${lines[\${#lines[@]}-1]}
    if [[ $last =~ ^:([0-9]+)$ ]]; then
        directive=\${BASH_REMATCH[1]}
        unset 'lines[\${#lines[@]}-1]'
    fi
    (( directive & 1 )) && return 0
    # candidates are whole words: drop what precedes $cur
    local before=\${partial%"$cur"} l
    for l in "\${lines[@]}"; do
        [[ -n $l ]] && comps+=("\${l%%$'\\t'*}")
    done
    COMPREPLY=()
    if (( directive & 8 )); then
        local f e
        compopt -o filenames 2>/dev/null
        while IFS= read -r f; do
            if [[ -d $f ]]; then
                COMPREPLY+=("$f")
            else
                for e in "\${comps[@]}"; do
                    if [[ $f == *."$e" ]]; then COMPREPLY+=("$f"); break; fi
                done
            fi
        done < <(compgen -f -- "$cur")
        return 0
    fi
    if (( directive & 16 )); then
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return 0
    fi
    if (( \${#comps[@]} == 0 )); then
        if (( ! (directive & 4) )); then
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        fi
        return 0
    fi
    (( directive & 2 )) && compopt -o nospace 2>/dev/null
    local c
    for c in "\${comps[@]}"; do
        COMPREPLY+=("\${c#"$before"}")
    done
}

complete -F __kubectl_podres_complete kubectl-podres
`;

const ZSH = `#compdef kubectl-podres
# zsh completion for kubectl-podres
# Load it in the current shell (after compinit):  source <(kubectl-podres completion zsh)
# or for every shell: kubectl-podres completion zsh > "\${fpath[1]}/_kubectl-podres"
# (\`kubectl podres <TAB>\` completes through kubectl and kubectl_complete-podres instead.)

_kubectl-podres() {
    local out directive=0 line value desc
    local -a lines comps exts opts
    out=$("\${words[1]}" __complete "\${(@)words[2,CURRENT-1]}" "\${words[CURRENT]}" 2>/dev/null) || return 1
    lines=("\${(@f)out}")
    if [[ \${lines[-1]} == :<-> ]]; then
        directive=\${lines[-1]#:}
        lines[-1]=()
    fi
    (( directive & 1 )) && return 1
    for line in "\${lines[@]}"; do
        [[ -z $line ]] && continue
        value=\${line%%$'\\t'*}
        desc=""
        [[ $line == *$'\\t'* ]] && desc=\${line#*$'\\t'}
        exts+=("$value")
        comps+=("\${value//:/\\\\:}\${desc:+:$desc}")
    done
    if (( directive & 8 )); then
        _files -g "*.(\${(j:|:)exts})"
        return
    fi
    if (( directive & 16 )); then
        _files -/
        return
    fi
    if (( \${#comps} == 0 )); then
        (( directive & 4 )) || _files
        return
    fi
    (( directive & 2 )) && opts+=(-S '')
    (( directive & 32 )) && opts+=(-V values)
    _describe -t values 'kubectl-podres' comps "\${opts[@]}"
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
    _kubectl-podres "$@"
else
    compdef _kubectl-podres kubectl-podres
fi
`;

const FISH = `# fish completion for kubectl-podres
# Load it in the current shell:  kubectl-podres completion fish | source
# or for every shell:            kubectl-podres completion fish > ~/.config/fish/completions/kubectl-podres.fish
# (\`kubectl podres <TAB>\` completes through kubectl and kubectl_complete-podres instead.)

function __kubectl_podres_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l out ($tokens[1] __complete $tokens[2..-1] "$current" 2>/dev/null)
    or return
    set -l directive 0
    if string match -qr '^:[0-9]+$' -- "$out[-1]"
        set directive (string sub -s 2 -- $out[-1])
        set -e out[-1]
    end
    if test (math "bitand($directive, 1)") -ne 0
        return
    end
    if test (math "bitand($directive, 8)") -ne 0
        for f in (__fish_complete_path "$current")
            set -l path (string split -f1 \\t -- $f)
            if string match -q -- '*/' $path
                echo $f
                continue
            end
            for e in $out
                if string match -q -- "*.$e" $path
                    echo $f
                    break
                end
            end
        end
        return
    end
    if test (math "bitand($directive, 16)") -ne 0
        __fish_complete_directories "$current"
        return
    end
    if test (count $out) -eq 0
        if test (math "bitand($directive, 4)") -eq 0
            __fish_complete_path "$current"
        end
        return
    end
    printf '%s\\n' $out
end

complete -c kubectl-podres -e
complete -c kubectl-podres -f -a '(__kubectl_podres_complete)'
`;

const POWERSHELL = `# powershell completion for kubectl-podres
# Load it in the current shell:  kubectl-podres completion powershell | Out-String | Invoke-Expression
# or for every shell: add that line to $PROFILE
# (\`kubectl podres <TAB>\` completes through kubectl and kubectl_complete-podres instead.)

Register-ArgumentCompleter -Native -CommandName 'kubectl-podres', 'kubectl-podres.exe' -ScriptBlock {
    param($WordToComplete, $CommandAst, $CursorPosition)
    $line = $CommandAst.ToString()
    if ($CursorPosition -lt $line.Length) { $line = $line.Substring(0, $CursorPosition) }
    $words = @($line -split '\\s+' | Where-Object { $_ -ne '' })
    $program = $words[0]
    $count = $words.Count - 1
    if ($WordToComplete -ne '') { $count = $count - 1 }
    $before = @()
    if ($count -gt 0) { $before = @($words[1..$count]) }
    $partial = $WordToComplete
    if ($partial -eq '' -and ($PSVersionTable.PSVersion -lt [version]'7.3.0' -or $PSNativeCommandArgumentPassing -eq 'Legacy')) {
        # older PowerShell drops empty arguments to native commands
        $partial = '""'
    }
    $out = @(& $program __complete @before $partial 2>$null)
    $directive = 0
    if ($out.Count -gt 0 -and $out[-1] -match '^:(\\d+)$') {
        $directive = [int]$Matches[1]
        $out = @($out | Select-Object -SkipLast 1)
    }
    if ($directive -band 1) { return }
    # file and directory completion: let PowerShell complete paths
    if (($directive -band 8) -or ($directive -band 16)) { return }
    if ($out.Count -eq 0) {
        if ($directive -band 4) { return [System.Management.Automation.CompletionResult]::new(' ', ' ', 'ParameterValue', ' ') }
        return
    }
    foreach ($l in $out) {
        if ($l -eq '') { continue }
        $parts = $l -split "\`t", 2
        $value = $parts[0]
        $desc = if ($parts.Count -gt 1) { $parts[1] } else { $value }
        if ($directive -band 2) { $text = $value } else { $text = "$value " }
        [System.Management.Automation.CompletionResult]::new($text, $value, 'ParameterValue', $desc)
    }
}
`;

export const COMPLETION_SCRIPTS: Readonly<Record<Shell, string>> = {
  bash: BASH,
  zsh: ZSH,
  fish: FISH,
  powershell: POWERSHELL,
};
