package dev.distlock.jdbc.sql;

import java.util.EnumSet;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** How statements are found, read and refused (test files in {@code dev/distlock/jdbc/sql/}). */
class SqlStatementsTests {

	private static final String OWN = "dev/distlock/jdbc/sql/own/";

	private static final String SHARED = "dev/distlock/jdbc/sql/shared/";

	enum Statement {

		FIRST_STATEMENT, SECOND_STATEMENT, TWO_STATEMENTS, ONLY_COMMENT, NOT_WRITTEN

	}

	enum OneMissing {

		FIRST_STATEMENT, NOT_WRITTEN

	}

	@Test
	void aConstantNamesItsFile() {
		assertThat(SqlStatements.fileName(Statement.FIRST_STATEMENT)).isEqualTo("first-statement.sql");
	}

	@Test
	void readsEachStatementFromTheFirstDirectoryThatHasItWithoutCommentsOrSemicolon() {
		SqlStatements<Statement> statements = SqlStatements.load(
				EnumSet.of(Statement.FIRST_STATEMENT, Statement.SECOND_STATEMENT), List.of(OWN, SHARED),
				UnaryOperator.identity());
		assertThat(statements.sql(Statement.FIRST_STATEMENT))
			.isEqualTo("SELECT owner\nFROM distlock_lock\nWHERE lock_key = ?");
		assertThat(statements.sql(Statement.SECOND_STATEMENT)).isEqualTo("SELECT 'shared' FROM distlock_lock");
	}

	@Test
	void appliesTheRewriteToEveryStatement() {
		SqlStatements<Statement> statements = SqlStatements.load(EnumSet.of(Statement.SECOND_STATEMENT),
				List.of(SHARED), (sql) -> sql.replace("distlock_lock", "app.locks"));
		assertThat(statements.sql(Statement.SECOND_STATEMENT)).isEqualTo("SELECT 'shared' FROM app.locks");
	}

	@Test
	void aMissingFileFailsWhenTheStatementsAreLoadedNamingTheFileAndWhereItWasLookedFor() {
		assertThatIllegalStateException()
			.isThrownBy(() -> SqlStatements.load(EnumSet.of(Statement.NOT_WRITTEN), List.of(OWN, SHARED),
					UnaryOperator.identity()))
			.withMessageContaining("NOT_WRITTEN")
			.withMessageContaining("not-written.sql")
			.withMessageContaining("classpath:" + OWN)
			.withMessageContaining("classpath:" + SHARED);
		assertThatIllegalStateException().isThrownBy(() -> SqlStatements.load(OneMissing.class, OWN))
			.withMessageContaining("not-written.sql");
	}

	@Test
	void aFileWithTwoStatementsOrNoneIsRefused() {
		assertThatIllegalStateException()
			.isThrownBy(() -> SqlStatements.load(EnumSet.of(Statement.TWO_STATEMENTS), List.of(SHARED),
					UnaryOperator.identity()))
			.withMessageContaining("two-statements.sql holds more than one statement");
		assertThatIllegalStateException()
			.isThrownBy(() -> SqlStatements.load(EnumSet.of(Statement.ONLY_COMMENT), List.of(SHARED),
					UnaryOperator.identity()))
			.withMessageContaining("only-comment.sql holds no statement");
	}

	@Test
	void askingForAStatementThatWasNotLoadedIsAnError() {
		SqlStatements<Statement> statements = SqlStatements.load(EnumSet.of(Statement.SECOND_STATEMENT),
				List.of(SHARED), UnaryOperator.identity());
		assertThatIllegalStateException().isThrownBy(() -> statements.sql(Statement.FIRST_STATEMENT))
			.withMessageContaining("FIRST_STATEMENT was not loaded");
	}

	@Test
	void aMissingSchemaScriptFailsWhenItIsLoaded() {
		assertThatIllegalStateException().isThrownBy(() -> SchemaScript.load(SHARED + "no-schema.sql"))
			.withMessageContaining("classpath:" + SHARED + "no-schema.sql");
	}

}
