# Generated from ui/import_summary_page.ui — do not edit — regenerate with: python packaging/build_generated.py
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'import_summary_page.ui'
##
## Created by: Qt User Interface Compiler
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QFormLayout, QGridLayout,
    QHeaderView, QLabel, QPushButton, QSizePolicy,
    QSpacerItem, QTableView, QVBoxLayout, QWidget,
    QWizardPage)

class Ui_ImportSummaryPage(object):
    def setupUi(self, ImportSummaryPage):
        if not ImportSummaryPage.objectName():
            ImportSummaryPage.setObjectName(u"ImportSummaryPage")
        self.pageLayout = QVBoxLayout(ImportSummaryPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.summaryHeadline = QLabel(ImportSummaryPage)
        self.summaryHeadline.setObjectName(u"summaryHeadline")

        self.pageLayout.addWidget(self.summaryHeadline)

        self.headlineSpace = QSpacerItem(0, 6, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

        self.pageLayout.addItem(self.headlineSpace)

        self.resultGrid = QGridLayout()
        self.resultGrid.setObjectName(u"resultGrid")
        self.countsForm = QFormLayout()
        self.countsForm.setObjectName(u"countsForm")
        self.countsForm.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.countsForm.setHorizontalSpacing(24)
        self.countsForm.setVerticalSpacing(4)
        self.label_rows = QLabel(ImportSummaryPage)
        self.label_rows.setObjectName(u"label_rows")

        self.countsForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.label_rows)

        self.count_rows = QLabel(ImportSummaryPage)
        self.count_rows.setObjectName(u"count_rows")
        self.count_rows.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)

        self.countsForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.count_rows)

        self.label_imported = QLabel(ImportSummaryPage)
        self.label_imported.setObjectName(u"label_imported")

        self.countsForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.label_imported)

        self.count_imported = QLabel(ImportSummaryPage)
        self.count_imported.setObjectName(u"count_imported")
        self.count_imported.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)

        self.countsForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.count_imported)

        self.label_updated = QLabel(ImportSummaryPage)
        self.label_updated.setObjectName(u"label_updated")

        self.countsForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.label_updated)

        self.count_updated = QLabel(ImportSummaryPage)
        self.count_updated.setObjectName(u"count_updated")
        self.count_updated.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)

        self.countsForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.count_updated)

        self.label_duplicates = QLabel(ImportSummaryPage)
        self.label_duplicates.setObjectName(u"label_duplicates")

        self.countsForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.label_duplicates)

        self.count_duplicates = QLabel(ImportSummaryPage)
        self.count_duplicates.setObjectName(u"count_duplicates")
        self.count_duplicates.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)

        self.countsForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.count_duplicates)

        self.label_rejected = QLabel(ImportSummaryPage)
        self.label_rejected.setObjectName(u"label_rejected")

        self.countsForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.label_rejected)

        self.count_rejected = QLabel(ImportSummaryPage)
        self.count_rejected.setObjectName(u"count_rejected")
        self.count_rejected.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)

        self.countsForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.count_rejected)

        self.label_invalid_phones = QLabel(ImportSummaryPage)
        self.label_invalid_phones.setObjectName(u"label_invalid_phones")

        self.countsForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.label_invalid_phones)

        self.count_invalid_phones = QLabel(ImportSummaryPage)
        self.count_invalid_phones.setObjectName(u"count_invalid_phones")
        self.count_invalid_phones.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)

        self.countsForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.count_invalid_phones)

        self.label_dnc = QLabel(ImportSummaryPage)
        self.label_dnc.setObjectName(u"label_dnc")

        self.countsForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.label_dnc)

        self.count_dnc = QLabel(ImportSummaryPage)
        self.count_dnc.setObjectName(u"count_dnc")
        self.count_dnc.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)

        self.countsForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.count_dnc)

        self.label_flagged = QLabel(ImportSummaryPage)
        self.label_flagged.setObjectName(u"label_flagged")

        self.countsForm.setWidget(7, QFormLayout.ItemRole.LabelRole, self.label_flagged)

        self.count_flagged = QLabel(ImportSummaryPage)
        self.count_flagged.setObjectName(u"count_flagged")
        self.count_flagged.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)

        self.countsForm.setWidget(7, QFormLayout.ItemRole.FieldRole, self.count_flagged)


        self.resultGrid.addLayout(self.countsForm, 0, 0, 1, 1)

        self.resultSpace = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.resultGrid.addItem(self.resultSpace, 0, 1, 1, 1)

        self.fileButtons = QVBoxLayout()
        self.fileButtons.setObjectName(u"fileButtons")
        self.showLeadsButton = QPushButton(ImportSummaryPage)
        self.showLeadsButton.setObjectName(u"showLeadsButton")
        self.showLeadsButton.setAutoDefault(False)

        self.fileButtons.addWidget(self.showLeadsButton)

        self.openRejectsButton = QPushButton(ImportSummaryPage)
        self.openRejectsButton.setObjectName(u"openRejectsButton")
        self.openRejectsButton.setAutoDefault(False)

        self.fileButtons.addWidget(self.openRejectsButton)

        self.openSummaryButton = QPushButton(ImportSummaryPage)
        self.openSummaryButton.setObjectName(u"openSummaryButton")
        self.openSummaryButton.setAutoDefault(False)

        self.fileButtons.addWidget(self.openSummaryButton)

        self.buttonsSpace = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.fileButtons.addItem(self.buttonsSpace)


        self.resultGrid.addLayout(self.fileButtons, 0, 2, 1, 1)

        self.resultGrid.setColumnStretch(1, 1)

        self.pageLayout.addLayout(self.resultGrid)

        self.countsSpace = QSpacerItem(0, 6, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

        self.pageLayout.addItem(self.countsSpace)

        self.duplicatesTitleLabel = QLabel(ImportSummaryPage)
        self.duplicatesTitleLabel.setObjectName(u"duplicatesTitleLabel")

        self.pageLayout.addWidget(self.duplicatesTitleLabel)

        self.duplicatesTable = QTableView(ImportSummaryPage)
        self.duplicatesTable.setObjectName(u"duplicatesTable")
        self.duplicatesTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.duplicatesTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.duplicatesTable.setWordWrap(False)
        self.duplicatesTable.horizontalHeader().setStretchLastSection(False)
        self.duplicatesTable.verticalHeader().setVisible(False)

        self.pageLayout.addWidget(self.duplicatesTable)

        self.pageLayout.setStretch(5, 1)

        self.retranslateUi(ImportSummaryPage)

        QMetaObject.connectSlotsByName(ImportSummaryPage)
    # setupUi

    def retranslateUi(self, ImportSummaryPage):
        ImportSummaryPage.setTitle(QCoreApplication.translate("ImportSummaryPage", u"Import finished", None))
        ImportSummaryPage.setSubTitle(QCoreApplication.translate("ImportSummaryPage", u"What happened to each row of the file.", None))
        self.label_rows.setText(QCoreApplication.translate("ImportSummaryPage", u"Rows read:", None))
        self.label_imported.setText(QCoreApplication.translate("ImportSummaryPage", u"New leads:", None))
        self.label_updated.setText(QCoreApplication.translate("ImportSummaryPage", u"Existing leads updated:", None))
        self.label_duplicates.setText(QCoreApplication.translate("ImportSummaryPage", u"Duplicates found:", None))
        self.label_rejected.setText(QCoreApplication.translate("ImportSummaryPage", u"Rows rejected:", None))
        self.label_invalid_phones.setText(QCoreApplication.translate("ImportSummaryPage", u"Leads without a valid phone:", None))
        self.label_dnc.setText(QCoreApplication.translate("ImportSummaryPage", u"On the do-not-call list:", None))
        self.label_flagged.setText(QCoreApplication.translate("ImportSummaryPage", u"Rows with a value that could not be used:", None))
        self.showLeadsButton.setText(QCoreApplication.translate("ImportSummaryPage", u"&Show imported leads", None))
#if QT_CONFIG(tooltip)
        self.showLeadsButton.setToolTip(QCoreApplication.translate("ImportSummaryPage", u"Close this window and show the new leads in the list", None))
#endif // QT_CONFIG(tooltip)
        self.openRejectsButton.setText(QCoreApplication.translate("ImportSummaryPage", u"Open &reject file", None))
#if QT_CONFIG(tooltip)
        self.openRejectsButton.setToolTip(QCoreApplication.translate("ImportSummaryPage", u"The rejected rows, each with its row number and why", None))
#endif // QT_CONFIG(tooltip)
        self.openSummaryButton.setText(QCoreApplication.translate("ImportSummaryPage", u"Open s&ummary", None))
    # retranslateUi

