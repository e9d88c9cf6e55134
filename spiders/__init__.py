"""Spiders: one base spider per CMS family (spiders/families/), one short class per site."""
