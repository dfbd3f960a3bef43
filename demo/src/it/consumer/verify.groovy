// After the consumer build: it passed its test, and the BOM it imported (the one installed in
// target/it-repo, as a user would download it) has no parent and manages nines artifacts only.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0') : 'the consumer test did not run and pass'

def bomDir = new File(localRepositoryPath, "dev/nines/nines-bom/${projectVersion}")
def bomFile = new File(bomDir, "nines-bom-${projectVersion}.pom")
assert bomFile.isFile() : "no BOM installed at ${bomFile}"
def bom = new groovy.xml.XmlSlurper().parse(bomFile)
assert bom.parent.size() == 0 : 'the installed BOM has a parent: an importer would inherit its dependencyManagement'
def managed = bom.dependencyManagement.dependencies.dependency
assert managed.size() > 0 : 'the installed BOM manages nothing'
managed.each { d ->
    assert d.groupId.text() == 'dev.nines' : "the BOM manages ${d.groupId.text()}:${d.artifactId.text()}, not a nines artifact"
}
def names = managed.collect { it.artifactId.text() } as Set
['nines-core', 'nines-ratelimit', 'nines-shedding', 'nines-web'].each {
    assert names.contains(it) : "the BOM does not manage ${it}"
}
assert bom.dependencies.size() == 0 : 'the BOM declares dependencies'
return true
