#Requires -Version 7.4
<#
.SYNOPSIS
    Generates the module's MAML help (<Assembly>.dll-Help.xml) from markdown plus the compiled cmdlets.
.DESCRIPTION
    What a parameter IS (type, parameter sets, Mandatory, Position, pipeline input, aliases, wildcards,
    ValidateSet values) comes from the imported module by reflection, so it can never disagree with the code.
    What a parameter MEANS comes from one markdown file per cmdlet, <Source>/<Cmdlet-Name>.md. The script fails
    (one error per problem, then a terminating error: exit code 1 under pwsh -File) and writes nothing when the
    two disagree: a cmdlet without a file, a parameter without a section, a section for a parameter the cmdlet
    does not have, a <Verb-Noun>.md for a cmdlet the module does not export, an [OutputType] missing from
    OUTPUTS, or a malformed file. about_*.help.txt topics are copied as they are.

    Markdown format (platyPS-like; headings are matched exactly, text inside ``` fences is never a heading):

        # Invoke-Swin2SRUpscale                 the cmdlet name, first line
        ## SYNOPSIS                             one paragraph (required)
        ## DESCRIPTION                          paragraphs (required)
        ## PARAMETERS
        ### -Path                               one section per parameter, any order, each exactly once
        description paragraphs
        Default: value                          optional paragraph: the default value (reflection cannot see it)
        ## INPUTS
        ### System.String                       one section per type (or ### None)
        text
        ## OUTPUTS
        ### Swin2SR.PowerShell.Swin2SRUpscaleResult
        text
        ## EXAMPLES
        ### Example 1: title
        ```powershell
        code
        ```
        remarks paragraphs
        ## NOTES                                paragraphs (optional)
        ## RELATED LINKS
        - about_Swin2SR                         a topic name, or [text](https://uri)

    Paragraphs are separated by blank lines; consecutive lines are joined. A line starting with "- " or "* "
    starts a new paragraph (list item) and a ``` block outside EXAMPLES is kept as one preformatted paragraph.
    The common parameters are not documented in markdown (Get-Help adds the standard <CommonParameters> text);
    -WhatIf and -Confirm get standard text here unless the markdown gives them a section.
.EXAMPLE
    ./Build-Help.ps1 -ModulePath out/Swin2SR.PowerShell -Source module/help -Destination out/Swin2SR.PowerShell/en-US
#>
[CmdletBinding()]
param(
    # The staged module folder (or its .psd1).
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # The folder with <Cmdlet-Name>.md and about_*.help.txt.
    [Parameter(Mandatory)]
    [string] $Source,

    # The culture folder to write into, e.g. <module>/en-US.
    [Parameter(Mandatory)]
    [string] $Destination
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# Get-Help matches elements by their prefixed names (command:command, maml:para), so these prefixes are fixed.
$script:Ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$script:KnownSections = 'SYNOPSIS', 'DESCRIPTION', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'EXAMPLES', 'NOTES', 'RELATED LINKS'
$script:RequiredSections = 'SYNOPSIS', 'DESCRIPTION'

# Text for the parameters every ShouldProcess cmdlet has; markdown may override it.
$script:StandardParameterText = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

#region Markdown

# Splits lines on headings of one level ('## ' or '### '), ignoring anything inside ``` fences (examples
# contain PowerShell comments that look like headings). Returns the text before the first heading too.
function Split-Heading([string[]] $Lines, [string] $Marker) {
    $preamble = [Collections.Generic.List[string]]::new()
    $parts = [Collections.Generic.List[object]]::new()
    $current = $preamble
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line.TrimStart().StartsWith('```')) { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith("$Marker ")) {
            $current = [Collections.Generic.List[string]]::new()
            $parts.Add([pscustomobject]@{ Title = $line.Substring($Marker.Length + 1).Trim(); Lines = $current })
            continue
        }
        $current.Add($line)
    }
    [pscustomobject]@{ Preamble = $preamble.ToArray(); Parts = $parts.ToArray() }
}

# Markdown lines to MAML paragraphs: blank lines separate, list items start a new one, fences stay verbatim.
function ConvertTo-Paragraph([string[]] $Lines) {
    $paragraphs = [Collections.Generic.List[string]]::new()
    $current = [Collections.Generic.List[string]]::new()
    $fence = $null
    $flush = {
        if ($current.Count) { $paragraphs.Add(($current -join ' ')); $current.Clear() }
    }
    foreach ($line in $Lines) {
        if ($null -ne $fence) {
            if ($line.TrimStart().StartsWith('```')) { $paragraphs.Add(($fence -join "`n")); $fence = $null }
            else { $fence.Add($line) }
            continue
        }
        $text = $line.Trim()
        if ($text.StartsWith('```')) { & $flush; $fence = [Collections.Generic.List[string]]::new(); continue }
        if ($text -eq '') { & $flush; continue }
        if ($text -match '^([-*]|\d+\.) ') { & $flush }
        $current.Add($text)
    }
    & $flush
    if ($null -ne $fence) { throw 'an unterminated ``` code block' }
    , $paragraphs.ToArray()
}

# Parses one <Cmdlet-Name>.md into sections; problems (format mistakes) are added to $Problems.
function Read-HelpMarkdown([string] $Path, [string] $CommandName, [Collections.Generic.List[string]] $Problems) {
    $file = Split-Path $Path -Leaf
    $top = Split-Heading (Get-Content -LiteralPath $Path -Encoding utf8) '##'
    $title = @($top.Preamble | Where-Object { $_.Trim() })
    if ($title.Count -ne 1 -or $title[0] -cne "# $CommandName") {
        $Problems.Add("${file}: must start with the single line '# $CommandName'")
    }
    $sections = @{}
    foreach ($part in $top.Parts) {
        $name = $part.Title.ToUpperInvariant()
        if ($name -notin $script:KnownSections) { $Problems.Add("${file}: unknown section '## $($part.Title)' (known: $($script:KnownSections -join ', '))") }
        elseif ($sections.ContainsKey($name)) { $Problems.Add("${file}: section '## $name' appears twice") }
        else { $sections[$name] = $part.Lines.ToArray() }
    }
    foreach ($name in $script:RequiredSections) {
        if (-not $sections.ContainsKey($name) -or -not ($sections[$name] -match '\S')) { $Problems.Add("${file}: section '## $name' is missing or empty") }
    }
    $sections
}

# ### -Name sections of ## PARAMETERS: name -> @{ Name; Paragraphs; Default }.
function Read-ParameterSection([string[]] $Lines, [string] $File, [Collections.Generic.List[string]] $Problems) {
    $result = [ordered]@{}
    foreach ($part in (Split-Heading $Lines '###').Parts) {
        if ($part.Title -notmatch '^-(\w+)$') { $Problems.Add("${File}: parameter heading '### $($part.Title)' must be '### -Name'"); continue }
        $name = $Matches[1]
        if ($result.Contains($name)) { $Problems.Add("${File}: parameter -$name is documented twice"); continue }
        # The Default: paragraph is data, not prose: pull it out of the description. Like any paragraph it runs to
        # the next blank line, so a default wrapped onto a second line stays whole.
        $default = $null
        $inDefault = $false
        $body = foreach ($line in $part.Lines) {
            if ($line -match '^Default:\s*(.+?)\s*$') { $default = $Matches[1]; $inDefault = $true }
            elseif ($inDefault -and $line -match '\S') { $default += ' ' + $line.Trim() }
            else { $inDefault = $false; $line }
        }
        $result[$name] = [pscustomobject]@{ Name = $name; Paragraphs = (ConvertTo-Paragraph $body); Default = $default }
    }
    $result
}

# ### Type sections of ## INPUTS / ## OUTPUTS.
function Read-TypeSection([string[]] $Lines) {
    foreach ($part in (Split-Heading $Lines '###').Parts) {
        [pscustomobject]@{ Type = $part.Title; Paragraphs = (ConvertTo-Paragraph $part.Lines) }
    }
}

# ### Example N: title sections: the ``` block(s) are the code, the rest are the remarks.
function Read-ExampleSection([string[]] $Lines, [string] $File, [Collections.Generic.List[string]] $Problems) {
    foreach ($part in (Split-Heading $Lines '###').Parts) {
        $code = [Collections.Generic.List[string]]::new()
        $remarks = [Collections.Generic.List[string]]::new()
        $inFence = $false
        foreach ($line in $part.Lines) {
            if ($line.TrimStart().StartsWith('```')) { $inFence = -not $inFence; continue }
            if ($inFence) { $code.Add($line) } else { $remarks.Add($line) }
        }
        if ($inFence -or $code.Count -eq 0) { $Problems.Add("${File}: example '$($part.Title)' needs one closed ``````powershell code block"); continue }
        [pscustomobject]@{ Title = $part.Title; Code = ($code -join "`n").Trim(); Remarks = (ConvertTo-Paragraph $remarks) }
    }
}

# "- about_Topic" or "- [text](uri)".
function Read-RelatedLink([string[]] $Lines) {
    foreach ($line in $Lines) {
        if ($line -match '^\s*[-*]\s+\[(.+?)\]\((.+?)\)\s*$') { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } }
        elseif ($line -match '^\s*[-*]\s+(.+?)\s*$') {
            $text = $Matches[1]
            [pscustomobject]@{ Text = $text; Uri = $(if ($text -match '^https?://') { $text } else { '' }) }
        }
    }
}

#endregion

#region Reflection

# The parameters Get-Help describes itself (<CommonParameters>) and never appear in the markdown.
function Test-CommonParameter([string] $Name) {
    [System.Management.Automation.Cmdlet]::CommonParameters.Contains($Name)
}

function Get-PipelineInputText([bool] $ByValue, [bool] $ByPropertyName) {
    $kinds = @(if ($ByPropertyName) { 'ByPropertyName' }; if ($ByValue) { 'ByValue' })
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}

# One record per parameter of the cmdlet, merged over its parameter sets (Get-Help's PARAMETERS list shows
# each parameter once): required only when mandatory in every set, pipeline input when any set takes it.
function Get-ParameterModel([System.Management.Automation.CmdletInfo] $Command) {
    $model = [ordered]@{}
    foreach ($set in $Command.ParameterSets) {
        foreach ($p in $set.Parameters) {
            if (Test-CommonParameter $p.Name) { continue }
            if (-not $model.Contains($p.Name)) {
                $attributes = $Command.Parameters[$p.Name].Attributes
                $validateSet = @($attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] })
                $model[$p.Name] = [pscustomobject]@{
                    Name           = $p.Name
                    Type           = $p.ParameterType
                    IsSwitch       = $p.ParameterType -eq [System.Management.Automation.SwitchParameter]
                    Mandatory      = $true
                    Position       = 'named'
                    ByValue        = $false
                    ByPropertyName = $false
                    Aliases        = @($Command.Parameters[$p.Name].Aliases)
                    Globbing       = [bool]($attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
                    ValidValues    = @($validateSet | ForEach-Object ValidValues)
                }
            }
            $m = $model[$p.Name]
            $m.Mandatory = $m.Mandatory -and $p.IsMandatory
            if ($m.Position -eq 'named' -and $p.Position -ge 0) { $m.Position = "$($p.Position)" }
            $m.ByValue = $m.ByValue -or $p.ValueFromPipeline
            $m.ByPropertyName = $m.ByPropertyName -or $p.ValueFromPipelineByPropertyName
        }
    }
    $model
}

# Parameters of one set in the order PowerShell's own syntax uses: positional, mandatory, optional, WhatIf/Confirm.
function Get-SyntaxParameter([System.Management.Automation.CommandParameterSetInfo] $Set) {
    $own = @($Set.Parameters | Where-Object { -not (Test-CommonParameter $_.Name) })
    $shouldProcess = @($own | Where-Object Name -in 'WhatIf', 'Confirm')
    $rest = @($own | Where-Object Name -notin 'WhatIf', 'Confirm')
    @($rest | Where-Object Position -ge 0 | Sort-Object Position) +
    @($rest | Where-Object { $_.Position -lt 0 -and $_.IsMandatory }) +
    @($rest | Where-Object { $_.Position -lt 0 -and -not $_.IsMandatory }) +
    $shouldProcess
}

# Short type names read best in SYNTAX and the parameter headings (String[], Int32), as in Microsoft's help.
function Get-ShortTypeName([type] $Type) {
    if ($Type.IsGenericType) { return $Type.Name -replace '`\d+$', '' }
    $Type.Name
}

#endregion

#region Checks

# Every difference between the cmdlet and its markdown is a problem: help must never fall out of date silently.
function Test-ParameterCoverage($Command, $Model, $Documented, [string] $File, [Collections.Generic.List[string]] $Problems) {
    foreach ($name in $Model.Keys) {
        $doc = $Documented.Keys | Where-Object { $_ -eq $name }
        if (-not $doc -and -not $script:StandardParameterText.ContainsKey($name)) {
            $Problems.Add("$($Command.Name): parameter -$name is not documented in $File (add a '### -$name' section under '## PARAMETERS')")
        }
        elseif ($doc -and $doc -cne $name) {
            $Problems.Add("$($Command.Name): '### -$doc' in $File must be spelled '-$name'")
        }
    }
    foreach ($name in $Documented.Keys) {
        if (-not $Model.Contains($name)) {
            $hint = if (Test-CommonParameter $name) { ' (a common parameter: Get-Help describes it; remove the section)' } else { ' (remove the section, or add the parameter)' }
            $Problems.Add("$($Command.Name): $File documents parameter -$name, which the cmdlet does not have$hint")
        }
    }
}

# [OutputType] is reflection's view of OUTPUTS: each declared type must be documented.
function Test-OutputCoverage($Command, $Outputs, [string] $File, [Collections.Generic.List[string]] $Problems) {
    foreach ($type in $Command.OutputType) {
        if ($type.Name -notin @($Outputs | ForEach-Object Type)) {
            $Problems.Add("$($Command.Name): output type $($type.Name) ([OutputType]) is not documented under '## OUTPUTS' in $File")
        }
    }
}

#endregion

#region MAML

function Write-Element([System.Xml.XmlWriter] $Writer, [string] $Prefix, [string] $Name, [string] $Text) {
    $Writer.WriteElementString($Prefix, $Name, $script:Ns[$Prefix], $Text)
}

function Write-Description([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs, [string] $Prefix = 'maml', [string] $Name = 'description') {
    $Writer.WriteStartElement($Prefix, $Name, $script:Ns[$Prefix])
    foreach ($p in $Paragraphs) { Write-Element $Writer 'maml' 'para' $p }
    $Writer.WriteEndElement()
}

function Write-DevType([System.Xml.XmlWriter] $Writer, [string] $TypeName) {
    $Writer.WriteStartElement('dev', 'type', $script:Ns.dev)
    Write-Element $Writer 'maml' 'name' $TypeName
    $Writer.WriteEndElement()
}

# One command:parameter, used both in a syntaxItem (per-set attributes) and in command:parameters (merged).
function Write-Parameter([System.Xml.XmlWriter] $Writer, $Parameter, $Doc, [bool] $Mandatory, [string] $Position, [string] $PipelineInput) {
    $Writer.WriteStartElement('command', 'parameter', $script:Ns.command)
    $Writer.WriteAttributeString('required', "$Mandatory".ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', "$($Parameter.Type.IsArray)".ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', "$($Parameter.Globbing)".ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $PipelineInput)
    $Writer.WriteAttributeString('position', $Position)
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases) { $Parameter.Aliases -join ', ' } else { 'none' }))
    Write-Element $Writer 'maml' 'name' $Parameter.Name
    Write-Description $Writer $Doc.Paragraphs
    if ($Parameter.ValidValues) {
        # Get-Help renders these as {A | B} in SYNTAX.
        $Writer.WriteStartElement('command', 'parameterValueGroup', $script:Ns.command)
        foreach ($value in $Parameter.ValidValues) {
            $Writer.WriteStartElement('command', 'parameterValue', $script:Ns.command)
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('variableLength', 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    if (-not $Parameter.IsSwitch) {
        # A switch has no value; without this element Get-Help shows it as [-Force].
        $Writer.WriteStartElement('command', 'parameterValue', $script:Ns.command)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', "$($Parameter.Type.IsArray)".ToLowerInvariant())
        $Writer.WriteString((Get-ShortTypeName $Parameter.Type))
        $Writer.WriteEndElement()
    }
    Write-DevType $Writer $Parameter.Type.FullName
    Write-Element $Writer 'dev' 'defaultValue' $Doc.Default
    $Writer.WriteEndElement()
}

function Write-Syntax([System.Xml.XmlWriter] $Writer, $Command, $Model, $Docs) {
    $Writer.WriteStartElement('command', 'syntax', $script:Ns.command)
    # The default set first: it is what a user most likely wants.
    $sets = @($Command.ParameterSets | Sort-Object -Stable { -not $_.IsDefault })
    foreach ($set in $sets) {
        $Writer.WriteStartElement('command', 'syntaxItem', $script:Ns.command)
        Write-Element $Writer 'maml' 'name' $Command.Name
        foreach ($p in Get-SyntaxParameter $set) {
            $position = if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' }
            Write-Parameter $Writer $Model[$p.Name] $Docs[$p.Name] $p.IsMandatory $position (Get-PipelineInputText $p.ValueFromPipeline $p.ValueFromPipelineByPropertyName)
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-TypeList([System.Xml.XmlWriter] $Writer, [string] $ListName, [string] $ItemName, $Items) {
    $Writer.WriteStartElement('command', $ListName, $script:Ns.command)
    foreach ($item in $Items) {
        $Writer.WriteStartElement('command', $ItemName, $script:Ns.command)
        Write-DevType $Writer $item.Type
        Write-Description $Writer $item.Paragraphs
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-Example([System.Xml.XmlWriter] $Writer, $Examples) {
    $Writer.WriteStartElement('command', 'examples', $script:Ns.command)
    foreach ($example in $Examples) {
        $Writer.WriteStartElement('command', 'example', $script:Ns.command)
        Write-Element $Writer 'maml' 'title' "---------- $($example.Title) ----------"
        Write-Element $Writer 'dev' 'code' $example.Code
        # The trailing empty paragraph is the blank line Get-Help otherwise leaves out before the next title.
        Write-Description $Writer (@($example.Remarks) + '') 'dev' 'remarks'
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-RelatedLink([System.Xml.XmlWriter] $Writer, $Links) {
    $Writer.WriteStartElement('command', 'relatedLinks', $script:Ns.command)
    foreach ($link in $Links) {
        $Writer.WriteStartElement('maml', 'navigationLink', $script:Ns.maml)
        Write-Element $Writer 'maml' 'linkText' $link.Text
        Write-Element $Writer 'maml' 'uri' $link.Uri
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

# One command:command element: the help of one cmdlet.
function Write-Command([System.Xml.XmlWriter] $Writer, $Help) {
    $c = $Help.Command
    $Writer.WriteStartElement('command', 'command', $script:Ns.command)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $script:Ns.maml)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $script:Ns.dev)

    $Writer.WriteStartElement('command', 'details', $script:Ns.command)
    Write-Element $Writer 'command' 'name' $c.Name
    Write-Element $Writer 'command' 'verb' $c.Verb
    Write-Element $Writer 'command' 'noun' $c.Noun
    Write-Description $Writer $Help.Synopsis
    $Writer.WriteEndElement()

    Write-Description $Writer $Help.Description
    Write-Syntax $Writer $c $Help.Model $Help.ParameterDocs

    $Writer.WriteStartElement('command', 'parameters', $script:Ns.command)
    foreach ($name in $Help.ParameterOrder) {
        $m = $Help.Model[$name]
        Write-Parameter $Writer $m $Help.ParameterDocs[$name] $m.Mandatory $m.Position (Get-PipelineInputText $m.ByValue $m.ByPropertyName)
    }
    $Writer.WriteEndElement()

    Write-TypeList $Writer 'inputTypes' 'inputType' $Help.Inputs
    Write-TypeList $Writer 'returnValues' 'returnValue' $Help.Outputs
    if ($Help.Notes) {
        $Writer.WriteStartElement('maml', 'alertSet', $script:Ns.maml)
        Write-Description $Writer $Help.Notes 'maml' 'alert'
        $Writer.WriteEndElement()
    }
    Write-Example $Writer $Help.Examples
    Write-RelatedLink $Writer $Help.Links
    $Writer.WriteEndElement()
}

function Write-MamlFile([string] $Path, $Helps) {
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', $script:Ns.msh)
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($help in $Helps) { Write-Command $writer $help }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
}

#endregion

# Reads and checks the markdown of one cmdlet; returns what Write-Command needs (or $null after problems).
function Get-CommandHelp([System.Management.Automation.CmdletInfo] $Command, [Collections.Generic.List[string]] $Problems) {
    $file = "$($Command.Name).md"
    $path = Join-Path $Source $file
    # Test-Path on the exact name: on Linux a file differing only in case would not be found by Get-Help's users either.
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
        $Problems.Add("$($Command.Name): no help markdown; create $path (format: see the top of $PSCommandPath)")
        return
    }
    $before = $Problems.Count
    $sections = Read-HelpMarkdown $path $Command.Name $Problems
    $section = { param($name) if ($sections.ContainsKey($name)) { $sections[$name] } else { @() } }
    $model = Get-ParameterModel $Command
    $documented = Read-ParameterSection (& $section 'PARAMETERS') $file $Problems
    Test-ParameterCoverage $Command $model $documented $file $Problems
    $outputs = @(Read-TypeSection (& $section 'OUTPUTS'))
    Test-OutputCoverage $Command $outputs $file $Problems
    $examples = @(Read-ExampleSection (& $section 'EXAMPLES') $file $Problems)
    $synopsis = ConvertTo-Paragraph (& $section 'SYNOPSIS')
    if ($synopsis.Count -gt 1) { $Problems.Add("${file}: the SYNOPSIS must be one paragraph") }
    if ($Problems.Count -gt $before) { return }

    # Markdown order first (the author's reading order), then any standard parameter the markdown left out.
    $docs = @{}
    $order = [Collections.Generic.List[string]]::new()
    foreach ($doc in $documented.Values) { $order.Add($doc.Name) }
    foreach ($name in $model.Keys) {
        $doc = $documented[$name]
        if (-not $doc) {
            $doc = [pscustomobject]@{ Name = $name; Paragraphs = @($script:StandardParameterText[$name]); Default = $null }
            $order.Add($name)
        }
        $default = if ($doc.Default) { $doc.Default } elseif ($model[$name].IsSwitch) { 'False' } else { 'None' }
        $docs[$name] = [pscustomobject]@{ Paragraphs = $doc.Paragraphs; Default = $default }
    }
    [pscustomobject]@{
        Command        = $Command
        Model          = $model
        ParameterDocs  = $docs
        ParameterOrder = $order
        Synopsis       = $synopsis
        Description    = ConvertTo-Paragraph (& $section 'DESCRIPTION')
        Inputs         = @(Read-TypeSection (& $section 'INPUTS'))
        Outputs        = $outputs
        Examples       = $examples
        Notes          = ConvertTo-Paragraph (& $section 'NOTES')
        Links          = @(Read-RelatedLink (& $section 'RELATED LINKS'))
    }
}

# --- main ---

$module = Import-Module -Name $ModulePath -PassThru -Force | Select-Object -First 1
$cmdlets = @($module.ExportedCmdlets.Values | Sort-Object Name)
$problems = [Collections.Generic.List[string]]::new()

# A markdown file for a cmdlet that no longer exists is stale help too.
foreach ($md in Get-ChildItem -LiteralPath $Source -Filter '*-*.md' -File) {
    if ($md.BaseName -cnotin @($cmdlets.Name)) { $problems.Add("$($md.Name): documents '$($md.BaseName)', which the module does not export") }
}
$helps = foreach ($cmdlet in $cmdlets) { Get-CommandHelp $cmdlet $problems }

if ($problems.Count) {
    # One error per problem reads better than one long message (the console re-wraps multi-line exceptions).
    # $PSCmdlet.WriteError labels each line with this script's name; 'Continue' so all of them are listed.
    $ErrorActionPreference = 'Continue'
    foreach ($problem in $problems) {
        $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                [System.IO.InvalidDataException]::new($problem), 'HelpOutOfDate', 'InvalidData', $Source))
    }
    $ErrorActionPreference = 'Stop'
    throw "Help for $($module.Name) is out of date: $($problems.Count) problem(s), listed above. Nothing was written."
}

$null = New-Item -ItemType Directory -Force -Path $Destination
# Get-Help reads a cmdlet's HelpFile from the culture folder: the cmdlet assembly's file name + '-Help.xml'.
foreach ($group in $helps | Group-Object { Split-Path $_.Command.DLL -Leaf }) {
    $target = Join-Path $Destination "$($group.Name)-Help.xml"
    Write-MamlFile $target $group.Group
    Write-Host "Help: $target ($($group.Count) cmdlet(s))"
}
foreach ($topic in Get-ChildItem -LiteralPath $Source -Filter 'about_*.help.txt' -File) {
    Copy-Item -LiteralPath $topic.FullName -Destination $Destination -Force
    Write-Host "Help: $(Join-Path $Destination $topic.Name)"
}
exit 0
