"""One base spider per CMS family; each module keeps that family's selectors in one place."""
